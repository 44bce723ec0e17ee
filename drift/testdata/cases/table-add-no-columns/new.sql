CREATE TABLE public.a (id int);
CREATE TABLE public.marker ();
