INSERT INTO public.docs VALUES (1, 'hello');
