CREATE TABLE public.invoices (
    id integer PRIMARY KEY,
    total integer,
    issued_on date
);
GRANT UPDATE, INSERT ON public.invoices TO postgres;
GRANT SELECT, INSERT ON public.invoices TO schemactl_case_writer;
GRANT UPDATE (total) ON public.invoices TO postgres;
