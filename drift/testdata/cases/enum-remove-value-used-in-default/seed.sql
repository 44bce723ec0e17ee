INSERT INTO public.t VALUES (1, 'draft'), (2, 'done');
