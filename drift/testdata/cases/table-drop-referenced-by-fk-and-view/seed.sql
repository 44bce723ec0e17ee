INSERT INTO public.a VALUES (1, 'one');
INSERT INTO public.b VALUES (1, 1);
