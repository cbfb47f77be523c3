"""E-mail distribution: the outbox consumer that queues mail, and the SMTP sender."""
