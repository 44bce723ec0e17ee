INSERT INTO public.account VALUES ('eu', 'a1', 'Anna'), ('us', 'b2', 'Bob');
INSERT INTO public.invoice VALUES (1, 'eu', 'a1'), (2, 'us', 'b2');
