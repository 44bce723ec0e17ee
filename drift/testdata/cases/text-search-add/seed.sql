INSERT INTO public.docs VALUES (1, 'the quick foxes');
