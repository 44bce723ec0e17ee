INSERT INTO public.a VALUES (1);
INSERT INTO public.b VALUES (1, 1), (2, 99);
