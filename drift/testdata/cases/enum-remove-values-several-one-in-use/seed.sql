INSERT INTO public.t VALUES (1, 'new'), (2, 'paid'), (3, 'sent'), (5, 'done');
