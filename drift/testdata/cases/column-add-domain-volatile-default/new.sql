CREATE DOMAIN public.token AS uuid DEFAULT gen_random_uuid();
CREATE TABLE public.t (id int PRIMARY KEY, tok public.token);
