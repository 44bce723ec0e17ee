CREATE FUNCTION public.next_code() RETURNS text LANGUAGE sql AS 'SELECT md5(random()::text)';
CREATE TABLE public.t (id int PRIMARY KEY, code text DEFAULT public.next_code());
