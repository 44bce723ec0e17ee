CREATE TABLE public.users (id bigint NOT NULL, email text);
