INSERT INTO public.t VALUES (1, 'new'), (2, 'held'), (3, 'sent'), (4, 'sent'), (5, 'done');
