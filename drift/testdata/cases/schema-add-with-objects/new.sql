CREATE TABLE public.users (id bigint PRIMARY KEY);
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'money';
CREATE TYPE billing.state AS ENUM ('open', 'paid');
CREATE SEQUENCE billing.invoice_no START 1000;
CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    no bigint NOT NULL DEFAULT nextval('billing.invoice_no'),
    user_id bigint NOT NULL REFERENCES public.users (id),
    state billing.state NOT NULL DEFAULT 'open'
);
CREATE INDEX invoices_user ON billing.invoices (user_id);
