INSERT INTO public.c VALUES ('new', 1);
