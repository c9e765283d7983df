"""What the checks share, and no checks: the registry, evidence helpers, policy grading, network
lookups, WAF and firewall rule readers, and the generator of docs/checks.md."""
