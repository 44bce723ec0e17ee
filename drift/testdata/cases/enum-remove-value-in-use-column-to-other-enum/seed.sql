INSERT INTO public.t VALUES (1, 'new', 'held', '{held,done}'), (2, 'done', DEFAULT, DEFAULT);
