INSERT INTO public.a VALUES (1, 'x', 'eu');
INSERT INTO public.b VALUES (1, 'x');
