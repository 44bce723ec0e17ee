CREATE TABLE public.t (id int PRIMARY KEY);
CREATE FUNCTION public.is_even(n int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n % 2 = 0 $$;
CREATE DOMAIN public.even AS int CONSTRAINT even_check CHECK (public.is_even(VALUE));
CREATE TABLE public.t2 (id int PRIMARY KEY, e public.even);
