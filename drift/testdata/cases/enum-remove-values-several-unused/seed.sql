INSERT INTO public.t VALUES (1, 'new'), (2, 'paid'), (5, 'done');
