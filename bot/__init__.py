"""Chat front ends (terminal, Telegram, JSON) over the answers of `queries`."""
