INSERT INTO public.t VALUES (1, 'new'), (2, 'done');
