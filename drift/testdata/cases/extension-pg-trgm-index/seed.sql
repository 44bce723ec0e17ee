INSERT INTO public.docs VALUES (1, 'hello world'), (2, 'goodbye');
