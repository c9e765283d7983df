"""The embedded sample account: a serverless airline with deliberate good and bad choices."""
