INSERT INTO public.customer VALUES (1, 'Ada');
