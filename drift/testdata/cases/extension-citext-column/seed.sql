INSERT INTO public.users VALUES (1, 'A@example.com'), (2, 'b@example.com');
