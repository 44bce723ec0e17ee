CREATE TABLE public.old_t (id serial PRIMARY KEY, v text);
ALTER TABLE public.old_t RENAME TO t;
