CREATE TABLE public.invoices (
    id integer PRIMARY KEY,
    total integer
);
GRANT SELECT, INSERT ON public.invoices TO postgres;
GRANT SELECT ON public.invoices TO schemactl_case_writer;
