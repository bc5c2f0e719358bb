"""What an image holds: inventory, layer cache, diff, find, SBOM and drafted release notes."""
