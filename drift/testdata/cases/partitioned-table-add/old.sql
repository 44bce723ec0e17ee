CREATE TABLE public.other (id int);
