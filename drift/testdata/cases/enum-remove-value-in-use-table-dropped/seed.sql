INSERT INTO public.t VALUES (1, 'new'); INSERT INTO public.old_t VALUES (1, 'held');
