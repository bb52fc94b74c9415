"""The HTTP side of Jol: the webhook listener, `/healthz` and `/metrics`, for every runtime."""
