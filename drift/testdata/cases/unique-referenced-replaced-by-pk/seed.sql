INSERT INTO public.a VALUES ('x', 'X');
INSERT INTO public.b VALUES (1, 'x');
