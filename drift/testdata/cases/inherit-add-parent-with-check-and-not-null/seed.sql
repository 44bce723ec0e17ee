INSERT INTO public.child VALUES (1, 2, 3);
