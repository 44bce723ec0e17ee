INSERT INTO public.base VALUES (1, 5);
INSERT INTO public.child VALUES (2, 50, 1);
