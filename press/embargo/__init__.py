"""The embargo: lifting releases on time, early access for accredited journalists, and the
side effects of publication (outbox, webhooks)."""
