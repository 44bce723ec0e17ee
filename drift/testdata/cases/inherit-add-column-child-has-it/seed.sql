INSERT INTO public.child VALUES (1, 'kept', 2);
