CREATE FUNCTION public.next_code() RETURNS varchar LANGUAGE sql AS 'SELECT md5(random()::text)::varchar';
CREATE TABLE public.t (id int PRIMARY KEY, code text DEFAULT public.next_code());
