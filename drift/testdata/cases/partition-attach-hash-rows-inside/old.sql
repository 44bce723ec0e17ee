CREATE TABLE public.h (id int NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE public.h0 PARTITION OF public.h FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE public.h1 (id int NOT NULL, v text);
INSERT INTO public.h1 VALUES (3, 'a'), (4, 'b'), (10, 'c');
