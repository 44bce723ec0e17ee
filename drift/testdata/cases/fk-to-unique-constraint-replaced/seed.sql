INSERT INTO public.a VALUES (1, 'x');
INSERT INTO public.b VALUES (1, 'x');
