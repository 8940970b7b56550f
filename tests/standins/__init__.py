"""Local stand-ins of the messaging platforms' servers, for the adapters' end-to-end tests and benchmarks."""
