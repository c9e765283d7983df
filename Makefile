# Convenience targets; each is a plain command you can also run by hand.
PY ?= python

.PHONY: test demo-reports docs bench

test:  ## the README's test command (includes ruff and strict mypy)
	$(PY) -m pytest

demo-reports:  ## regenerate the committed example reports from the headless demo
	rm -rf reports/demo
	$(PY) -m wa_review demo --headless -o reports/demo

docs:  ## regenerate docs/checks.md from the checks' metadata
	$(PY) -m wa_review.questionnaires.checks_doc > docs/checks.md

bench:  ## the full benchmark; numbers go to bench/RESULTS.md
	$(PY) -m bench.run --json bench/results.json
