CREATE DOMAIN public.code AS text DEFAULT 'x';
CREATE DOMAIN public.short_code AS public.code CHECK (length(VALUE) < 5);
CREATE TABLE public.t (id int PRIMARY KEY, c public.short_code NOT NULL);
