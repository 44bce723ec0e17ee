INSERT INTO public.a VALUES (1), (2);
INSERT INTO public.b VALUES (10, 1);
