INSERT INTO public.t VALUES (1, 'some text', 'x');
