INSERT INTO public.leaf VALUES (1, 2, 'kept');
