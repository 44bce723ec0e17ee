CREATE SEQUENCE public.s AS smallint;
