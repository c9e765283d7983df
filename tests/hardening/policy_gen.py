"""A seeded generator of hostile resource policies: plausible statements mixed with junk."""

from __future__ import annotations

import json
import random

ME, OTHER, ORG = "123456789012", "999988887777", "o-abc123def4"
ARN = f"arn:aws:sqs:us-east-1:{ME}:orders"

# Condition operators and keys, real and broken: the generator below and the hypothesis
# strategies in test_hostile_policies.py draw from these same two vocabularies.
OPERATORS = (
    "StringEquals",
    "StringLike",
    "StringNotEquals",
    "ArnLike",
    "ArnNotLike",
    "IpAddress",
    "NotIpAddress",
    "Bool",
    "Null",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringLike",
    "StringEqualsIfExists",
    "NumericLessThan",
    "DateGreaterThan",
    "Bogus",
    "",
)
CONDITION_KEYS = (
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:PrincipalOrgID",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:SecureTransport",
    "aws:PrincipalAccount",
    "lambda:FunctionUrlAuthType",
    "aws:userid",
    "s3:DataAccessPointArn",
    "kms:CallerAccount",
    "sns:Endpoint",
    "unknown:Key",
    "",
)


class PolicyGenerator:
    """Random policies from a seed: the shapes of the hypothesis strategies in
    test_hostile_policies.py, drawn by hand (hypothesis costs ~3 ms a draw; this ~0.1 ms)."""

    SCALARS: tuple[object, ...] = (
        None,
        True,
        False,
        0,
        -1,
        2**64,
        1.5,
        float("nan"),
        float("inf"),
        "",
        "*",
        "?",
        ":",
        "arn:",
        "arn:aws:iam::*:root",
        "arn:aws:s3:::*",
        "0.0.0.0/1",
        "2600::/16",
        "AROAZ5EXAMPLEROLE0001",
        "AROAZ5EXAMPLEROLE0001:*",
        "${aws:username}",
        f"arn:aws:iam::{OTHER}:root",
        ME,
        OTHER,
        ORG,
        "\x00",
        "\u202e",
        "<script>",
        "sqs:*",
        "a" * 300,
    )
    KEYS = (
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Sid",
    )
    EFFECTS = ("Allow", "Deny", "allow", "Maybe", "")
    PRINCIPALS: tuple[object, ...] = (
        "*",
        {"AWS": "*"},
        {"AWS": ME},
        {"AWS": OTHER},
        {"AWS": [ME, "*"]},
        {"AWS": ["AIDAZ5EXAMPLEUSER0001", OTHER]},
        {"Service": "sns.amazonaws.com"},
        {"Federated": "x"},
        {"CanonicalUser": 7},
        {"Bogus": 1},
    )
    ACTIONS: tuple[object, ...] = (
        "*",
        "sqs:*",
        "sqs:SendMessage",
        "s3:Get*",
        "lambda:InvokeFunction",
        "a:b:c",
        ["*", "sqs:Send*"],
        ["SQS:sendmessage", ""],
        [],
    )

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def junk(self, depth: int = 0) -> object:
        roll = self.rng.random()
        if depth < 3 and roll < 0.15:
            return [self.junk(depth + 1) for _ in range(self.rng.randint(0, 3))]
        if depth < 3 and roll < 0.25:
            return {
                self.rng.choice((*self.KEYS, "x", "")): self.junk(depth + 1)
                for _ in range(self.rng.randint(0, 3))
            }
        return self.rng.choice(self.SCALARS)

    def pick(self, choices: tuple[object, ...]) -> object:
        return self.junk() if self.rng.random() < 0.1 else self.rng.choice(choices)

    def condition(self) -> object:
        if self.rng.random() < 0.1:
            return self.junk()
        return {
            self.rng.choice(OPERATORS): {
                self.rng.choice(CONDITION_KEYS): self.pick(self.SCALARS)
                if self.rng.random() < 0.6
                else [self.rng.choice(self.SCALARS) for _ in range(self.rng.randint(0, 3))]
                for _ in range(self.rng.randint(0, 2))
            }
            for _ in range(self.rng.randint(0, 3))
        }

    def statement(self) -> dict[str, object]:
        makers = {
            "Effect": lambda: self.pick(self.EFFECTS),
            "Principal": lambda: self.pick(self.PRINCIPALS),
            "NotPrincipal": lambda: self.pick(self.PRINCIPALS),
            "Action": lambda: self.pick(self.ACTIONS),
            "NotAction": lambda: self.pick(self.ACTIONS),
            "Resource": lambda: self.pick(("*", ARN, f"{ARN}*", [ARN, "*"])),
            "NotResource": lambda: self.pick((ARN, "*")),
            "Condition": self.condition,
            "Sid": lambda: self.pick(self.SCALARS),
        }
        chosen = [k for k in self.KEYS if self.rng.random() < 0.6]
        return {k: makers[k]() for k in chosen}

    def policy(self) -> object:
        roll = self.rng.random()
        if roll < 0.1:
            return self.junk()
        statements = [self.statement() for _ in range(self.rng.randint(0, 5))]
        body: object = statements if roll < 0.8 else (statements[0] if statements else {})
        doc: dict[str, object] = {"Statement": body}
        if self.rng.random() < 0.8:
            doc["Version"] = "2012-10-17" if self.rng.random() < 0.9 else self.junk()
        return doc

    def source(self) -> object:
        policy = self.policy()
        form = self.rng.choice(("dict", "text", "text", "escaped", "cut"))
        if form == "dict":
            return policy
        text = json.dumps(policy)
        if form == "escaped":
            return json.dumps(text)[1:-1]
        if form == "cut":
            return text[: self.rng.randint(0, len(text))]
        return text
