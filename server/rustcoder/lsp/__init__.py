"""The LSP layer: protocol in, core call, protocol out. No business logic here."""
