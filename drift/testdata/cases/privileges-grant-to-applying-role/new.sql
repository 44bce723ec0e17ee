CREATE TABLE public.ledger (
    id bigint PRIMARY KEY,
    amount numeric(12, 2) NOT NULL DEFAULT 0
);
-- The role that applies owns the table: these are held by owning it.
GRANT INSERT, UPDATE ON public.ledger TO postgres;
GRANT SELECT ON public.ledger TO schemactl_case_reader;
