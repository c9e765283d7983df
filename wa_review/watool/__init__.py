"""The AWS Well-Architected Tool side: answer payloads, the push flow, and a local emulator."""
