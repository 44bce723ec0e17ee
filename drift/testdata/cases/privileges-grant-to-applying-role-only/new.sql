CREATE TABLE public.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);
GRANT SELECT ON public.events TO schemactl_case_reader;
GRANT ALL ON public.events TO postgres;
GRANT SELECT, UPDATE ON SEQUENCE public.events_id_seq TO postgres;
