INSERT INTO public.t VALUES (1, 'red'), (2, 'green');
