CREATE DOMAIN public.status AS text DEFAULT 'new';
CREATE TABLE public.t (id int PRIMARY KEY, s public.status);
