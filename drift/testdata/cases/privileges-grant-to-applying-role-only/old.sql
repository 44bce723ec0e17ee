CREATE TABLE public.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);
GRANT SELECT ON public.events TO schemactl_case_reader;
