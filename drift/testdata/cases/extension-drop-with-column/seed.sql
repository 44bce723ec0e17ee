INSERT INTO public.users VALUES (1, 'A@x', 'a');
